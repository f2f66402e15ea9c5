// Package webhook is a Kubernetes validating admission webhook that admits a workload only when
// every image it would run is allowed by the containers policy.json of its namespace.
//
// The Handler decodes admission.k8s.io/v1 AdmissionReview requests, finds the pod spec of a Pod,
// ReplicationController, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or
// CronJob, and checks the image of every container, init container and ephemeral container:
//
//   - the policy is the one namespace.Resolver picks for request.namespace (CRI-O's rule:
//     "<dir>/<namespace>.json", else the global policy); a refused namespace name or an unusable
//     policy file denies the whole request;
//   - each distinct image is resolved in its registry (source.NewRegistry: the tag is resolved to a
//     digest once, and that digest's signatures are checked) and evaluated with verify;
//   - an image whose scope only holds "insecureAcceptAnything" or "reject" requirements is decided
//     without contacting the registry, as containers/image decides it without the image;
//   - all of it runs under a time budget (WithBudget, lowered to 80% of the API server's own
//     "timeout" query parameter when that is shorter); an image not decided within it is denied,
//     with a message saying so.
//
// The answer is "allowed", or a denial whose message lists each rejected image, the containers
// that use it and why, which is what kubectl prints. Any doubt denies: an unsupported kind, an
// object that does not decode, an empty image name, a registry error.
//
// Handler.Metrics serves Prometheus metrics: admission reviews and image decisions by result, a
// histogram of per-image verification latency, and the decision cache's hits, misses and size.
//
// cmd/sigpolicy-webhook is the server program; deploy/ holds a deployment manifest; README.md
// explains both.
package webhook
