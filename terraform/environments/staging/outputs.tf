output "service_config" {
  description = "KAFKA_BOOTSTRAP_SERVERS, KAFKA_SASL_USERNAME, BIGTABLE_PROJECT, BIGTABLE_INSTANCE, BIGTABLE_APP_PROFILE for the overlay."
  value       = module.tributary.service_config
}

output "service_account_emails" {
  description = "Google service account by service (Workload Identity annotations)."
  value       = module.tributary.service_account_emails
}

output "secret_ids" {
  description = "Secret Manager entries to fill with `gcloud secrets versions add`."
  value       = module.tributary.secret_ids
}

output "topic_partitions" {
  description = "Partitions by topic (KEDA maxReplicaCount caps)."
  value       = module.tributary.topic_partitions
}

output "image_repository" {
  description = "Where to push the Tributary image."
  value       = module.tributary.image_repository
}

output "kafka_usernames" {
  description = "Kafka SASL username by client; put each client's key in Secret Manager (docs/deploy.md)."
  value       = module.tributary.kafka_usernames
}

output "nat_addresses" {
  description = "Reserved Cloud NAT egress addresses (empty with automatic allocation)."
  value       = module.tributary.nat_addresses
}
