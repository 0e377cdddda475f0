output "service_config" {
  description = "The services' configuration for this environment: the values deploy/k8s/overlays/<env> sets."
  value = {
    KAFKA_BOOTSTRAP_SERVERS = module.kafka.bootstrap_address
    BIGTABLE_PROJECT        = var.project_id
    BIGTABLE_INSTANCE       = module.bigtable.instance_id
    BIGTABLE_APP_PROFILE    = module.bigtable.app_profile_id
  }
}

output "service_account_emails" {
  description = "Google service account by service (iam.gke.io/gcp-service-account annotations)."
  value       = module.service_accounts.service_account_emails
}

output "secrets_reader_email" {
  description = "The External Secrets service account."
  value       = module.service_accounts.secrets_reader_email
}

output "secret_ids" {
  description = "Secret Manager ids to fill with `gcloud secrets versions add`."
  value       = module.secrets.secret_ids
}

output "topic_partitions" {
  description = "Partitions by topic (KEDA maxReplicaCount caps)."
  value       = module.kafka.topic_partitions
}

output "image_repository" {
  description = "Where to push the Tributary image (null without the GKE module)."
  value       = var.create_gke_cluster ? module.gke[0].image_repository : null
}

output "gke_cluster_name" {
  description = "The GKE cluster (null without the GKE module)."
  value       = var.create_gke_cluster ? module.gke[0].cluster_name : null
}

output "kafka_usernames" {
  description = "Kafka SASL username by client; each client's key goes into the Secret Manager entry <prefix>-kafka-key-<client>."
  value       = module.service_accounts.kafka_usernames
}

output "nat_addresses" {
  description = "Reserved egress addresses (for Salesforce login IP ranges); empty with automatic NAT addresses."
  value       = module.networking.nat_addresses
}
