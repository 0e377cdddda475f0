output "cluster_name" {
  description = "The cluster (the External Secrets SecretStore's clusterName)."
  value       = google_container_cluster.this.name
}

output "image_repository" {
  description = "Where to push the image: REGION-docker.pkg.dev/PROJECT/tributary/tributary."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}/tributary"
}
