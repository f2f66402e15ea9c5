package webhook

import (
	"encoding/json"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// containerImage is one image a workload would run, and where it is named.
type containerImage struct {
	// Field is the JSON path of the container, e.g. "spec.template.spec.initContainers[0]".
	Field string
	// Container is the container's name.
	Container string
	// Image is the image reference exactly as written in the object.
	Image string
}

// UnsupportedKindError reports an object kind whose pod spec the handler cannot find. It denies:
// the webhook configuration should send only the kinds listed in the package documentation.
type UnsupportedKindError struct {
	Kind metav1.GroupVersionKind
}

// Error names the kind.
func (e *UnsupportedKindError) Error() string {
	return fmt.Sprintf("unsupported kind %s (sigpolicy checks Pods and the pod templates of "+
		"ReplicationControllers, PodTemplates, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs)",
		kindString(e.Kind))
}

func kindString(k metav1.GroupVersionKind) string {
	if k.Group == "" {
		return k.Version + "/" + k.Kind
	}
	return k.Group + "/" + k.Version + "/" + k.Kind
}

// podSpecOf decodes raw, an object of kind k, and returns its pod spec and the JSON path of that
// spec. A template without a spec yields an empty spec (no images).
func podSpecOf(k metav1.GroupVersionKind, raw []byte) (*corev1.PodSpec, string, error) {
	decode := func(v any) error {
		if err := json.Unmarshal(raw, v); err != nil {
			return fmt.Errorf("decoding the %s object: %w", kindString(k), err)
		}
		return nil
	}
	switch k {
	case metav1.GroupVersionKind{Version: "v1", Kind: "Pod"}:
		var o corev1.Pod
		return &o.Spec, "spec", decode(&o)
	case metav1.GroupVersionKind{Version: "v1", Kind: "PodTemplate"}:
		var o corev1.PodTemplate
		return &o.Template.Spec, "template.spec", decode(&o)
	case metav1.GroupVersionKind{Version: "v1", Kind: "ReplicationController"}:
		var o corev1.ReplicationController
		if err := decode(&o); err != nil || o.Spec.Template == nil {
			return &corev1.PodSpec{}, "spec.template.spec", err
		}
		return &o.Spec.Template.Spec, "spec.template.spec", nil
	case metav1.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}:
		var o appsv1.Deployment
		return &o.Spec.Template.Spec, "spec.template.spec", decode(&o)
	case metav1.GroupVersionKind{Group: "apps", Version: "v1", Kind: "StatefulSet"}:
		var o appsv1.StatefulSet
		return &o.Spec.Template.Spec, "spec.template.spec", decode(&o)
	case metav1.GroupVersionKind{Group: "apps", Version: "v1", Kind: "DaemonSet"}:
		var o appsv1.DaemonSet
		return &o.Spec.Template.Spec, "spec.template.spec", decode(&o)
	case metav1.GroupVersionKind{Group: "apps", Version: "v1", Kind: "ReplicaSet"}:
		var o appsv1.ReplicaSet
		return &o.Spec.Template.Spec, "spec.template.spec", decode(&o)
	case metav1.GroupVersionKind{Group: "batch", Version: "v1", Kind: "Job"}:
		var o batchv1.Job
		return &o.Spec.Template.Spec, "spec.template.spec", decode(&o)
	case metav1.GroupVersionKind{Group: "batch", Version: "v1", Kind: "CronJob"}:
		var o batchv1.CronJob
		return &o.Spec.JobTemplate.Spec.Template.Spec, "spec.jobTemplate.spec.template.spec", decode(&o)
	}
	return nil, "", &UnsupportedKindError{Kind: k}
}

// imagesOf lists every container, init container and ephemeral container image of spec, in that
// order; prefix is the JSON path of spec.
func imagesOf(spec *corev1.PodSpec, prefix string) []containerImage {
	var out []containerImage
	add := func(list string, i int, name, image string) {
		out = append(out, containerImage{Field: fmt.Sprintf("%s.%s[%d]", prefix, list, i), Container: name, Image: image})
	}
	for i, c := range spec.InitContainers {
		add("initContainers", i, c.Name, c.Image)
	}
	for i, c := range spec.Containers {
		add("containers", i, c.Name, c.Image)
	}
	for i, c := range spec.EphemeralContainers {
		add("ephemeralContainers", i, c.Name, c.Image)
	}
	return out
}
