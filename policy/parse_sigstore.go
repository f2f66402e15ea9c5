package policy

// sigstoreSigned parses a {"type":"sigstoreSigned",…} object. Field presence follows
// containers/image: "keyPath":"" and null scalars count as absent, "keyData":"" is present, and the
// list fields must be non-empty when the key appears at all.
func (d *decoder) sigstoreSigned() (Requirement, error) {
	objPos := d.pos
	res := &SigstoreSigned{}
	var typ string
	var gotType bool
	// Offsets of the list fields, for "contains no entries" errors; -1 when absent.
	keyPathsPos, keyDatasPos, rekorPathsPos, rekorDatasPos := -1, -1, -1, -1
	identityPos := -1
	n := len(d.errs)
	err := d.fields(func(key string, _, valPos int) error {
		var err error
		switch key {
		case "type":
			gotType = true
			typ, err = d.str()
		case "keyPath":
			res.KeyPath, err = d.str()
		case "keyPaths":
			keyPathsPos = valPos
			res.KeyPaths, err = d.strList()
		case "keyData":
			res.KeyData, err = d.bytes()
		case "keyDatas":
			keyDatasPos = valPos
			res.KeyDatas, err = d.bytesList()
		case "fulcio":
			res.Fulcio, err = d.fulcio()
		case "pki":
			res.PKI, err = d.pki()
		case "rekorPublicKeyPath":
			res.RekorPublicKeyPath, err = d.str()
		case "rekorPublicKeyPaths":
			rekorPathsPos = valPos
			res.RekorPublicKeyPaths, err = d.strList()
		case "rekorPublicKeyData":
			res.RekorPublicKeyData, err = d.bytes()
		case "rekorPublicKeyDatas":
			rekorDatasPos = valPos
			res.RekorPublicKeyDatas, err = d.bytesList()
		case "signedIdentity":
			identityPos = valPos
			d.skipValue()
		default:
			err = errUnknownField
		}
		return err
	})
	if err != nil || len(d.errs) > n {
		return nil, err
	}
	if err := d.checkType(objPos, gotType, typ, string(TypeSigstoreSigned)); err != nil {
		return nil, err
	}
	if res.SignedIdentity, err = d.identityAt("signedIdentity", identityPos); err != nil {
		return nil, err
	}
	// The per-field checks, in containers/image's option order.
	for _, l := range []struct {
		key    string
		pos    int
		length int
	}{
		{"keyPaths", keyPathsPos, len(res.KeyPaths)},
		{"keyDatas", keyDatasPos, len(res.KeyDatas)},
		{"rekorPublicKeyPaths", rekorPathsPos, len(res.RekorPublicKeyPaths)},
		{"rekorPublicKeyDatas", rekorDatasPos, len(res.RekorPublicKeyDatas)},
	} {
		if l.pos >= 0 && l.length == 0 {
			return nil, d.fieldErr(l.key, l.pos, ErrInvalidValue, quote(l.key)+" contains no entries")
		}
	}
	if count(res.KeyPath != "", res.KeyPaths != nil, res.KeyData != nil, res.KeyDatas != nil, res.Fulcio != nil, res.PKI != nil) != 1 {
		return nil, d.errAt(objPos, ErrConflict, "exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified")
	}
	rekor := count(res.RekorPublicKeyPath != "", res.RekorPublicKeyPaths != nil, res.RekorPublicKeyData != nil, res.RekorPublicKeyDatas != nil)
	switch {
	case rekor > 1:
		return nil, d.errAt(objPos, ErrConflict, "at most one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas can be used")
	case res.Fulcio != nil && rekor == 0:
		return nil, d.errAt(objPos, ErrConflict, "fulcio requires one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas")
	case res.PKI != nil && rekor > 0:
		return nil, d.errAt(objPos, ErrConflict, "rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas are not supported with pki")
	}
	return res, nil
}

// fulcio parses the "fulcio" object.
func (d *decoder) fulcio() (*Fulcio, error) {
	if d.ws() != '{' {
		return nil, d.typeErr("JSON object")
	}
	objPos := d.pos
	res := &Fulcio{}
	n := len(d.errs)
	err := d.fields(func(key string, keyPos, _ int) error {
		var err error
		switch key {
		case "caPath":
			res.CAPath, err = d.str()
		case "caData":
			res.CAData, err = d.bytes()
		case "oidcIssuer":
			res.OIDCIssuer, err = d.str()
		case "subjectEmail":
			res.SubjectEmail, err = d.str()
		case FieldOIDCIssuerPattern, FieldSubjectURI, FieldSubjectPattern, FieldCertificateExtensions:
			err = d.fulcioExtension(res, key, keyPos)
		default:
			err = errUnknownField
		}
		return err
	})
	if err != nil || len(d.errs) > n {
		return nil, orLinted(err)
	}
	// Without extension fields (always so in compatibility mode) these are containers/image's
	// checks and messages: the issuer and subject counts are then 0 or 1.
	issuerRules := count(res.OIDCIssuer != "", res.OIDCIssuerPattern != "")
	subjectRules := count(res.SubjectEmail != "", res.SubjectURI != "", res.SubjectPattern != "")
	switch {
	case res.CAPath != "" && res.CAData != nil:
		return nil, d.errAt(objPos, ErrConflict, "caPath and caData cannot be used simultaneously")
	case res.CAPath == "" && res.CAData == nil:
		return nil, d.errAt(objPos, ErrConflict, "one of caPath and caData must be specified")
	case issuerRules > 1:
		return nil, d.errAt(objPos, ErrConflict, "oidcIssuer and oidcIssuerPattern cannot be used simultaneously")
	case issuerRules == 0:
		return nil, d.errAt(objPos, ErrMissingKey, "oidcIssuer not specified")
	case subjectRules > 1:
		return nil, d.errAt(objPos, ErrConflict, "exactly one of subjectEmail, subjectURI and subjectPattern must be specified")
	case subjectRules == 0:
		return nil, d.errAt(objPos, ErrMissingKey, "subjectEmail not specified")
	}
	return res, nil
}

// pki parses the "pki" object.
func (d *decoder) pki() (*PKI, error) {
	if d.ws() != '{' {
		return nil, d.typeErr("JSON object")
	}
	objPos := d.pos
	res := &PKI{}
	n := len(d.errs)
	err := d.fields(func(key string, _, _ int) error {
		var err error
		switch key {
		case "caRootsPath":
			res.CARootsPath, err = d.str()
		case "caRootsData":
			res.CARootsData, err = d.bytes()
		case "caIntermediatesPath":
			res.CAIntermediatesPath, err = d.str()
		case "caIntermediatesData":
			res.CAIntermediatesData, err = d.bytes()
		case "subjectEmail":
			res.SubjectEmail, err = d.str()
		case "subjectHostname":
			res.SubjectHostname, err = d.str()
		default:
			err = errUnknownField
		}
		return err
	})
	if err != nil || len(d.errs) > n {
		return nil, orLinted(err)
	}
	switch {
	case res.CARootsPath != "" && res.CARootsData != nil:
		return nil, d.errAt(objPos, ErrConflict, "caRootsPath and caRootsData cannot be used simultaneously")
	case res.CARootsPath == "" && res.CARootsData == nil:
		return nil, d.errAt(objPos, ErrConflict, "one of caRootsPath and caRootsData must be specified")
	case res.CAIntermediatesPath != "" && res.CAIntermediatesData != nil:
		return nil, d.errAt(objPos, ErrConflict, "caIntermediatesPath and caIntermediatesData cannot be used simultaneously")
	case res.SubjectEmail == "" && res.SubjectHostname == "":
		return nil, d.errAt(objPos, ErrConflict, "at least one of subjectEmail and subjectHostname must be specified")
	}
	return res, nil
}

// orLinted returns err, or errLinted when err is nil (errors were recorded in lint mode), so the
// enclosing object stops its cross-field checks.
func orLinted(err error) error {
	if err == nil {
		return errLinted
	}
	return err
}
