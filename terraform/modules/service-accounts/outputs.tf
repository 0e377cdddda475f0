output "service_account_emails" {
  description = "Google service account email by service (the iam.gke.io/gcp-service-account annotations)."
  value       = { for service, account in google_service_account.service : service => account.email }
}

output "kafka_usernames" {
  description = "SASL username (the account's email) by Kafka client: every service, keda, load."
  value       = local.kafka_clients
}

output "kafka_clients" {
  description = "The Kafka clients, each with a Secret Manager entry kafka-key-<client> for its key."
  value       = sort(concat(var.services, var.kafka_only_clients))
}

output "secrets_reader_email" {
  description = "The account External Secrets uses."
  value       = google_service_account.secrets.email
}
