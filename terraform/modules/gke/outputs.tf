output "cluster_name" {
  description = "The cluster (the External Secrets SecretStore's clusterName)."
  value       = google_container_cluster.this.name
}

output "node_service_account" {
  description = "The nodes' service account (attached through the auto-provisioning defaults)."
  value       = google_service_account.nodes.email
}

output "image_repository" {
  description = "Where to push the image: REGION-docker.pkg.dev/PROJECT/tributary/tributary."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}/tributary"
}
