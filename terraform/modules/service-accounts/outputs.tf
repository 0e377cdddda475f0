output "service_account_emails" {
  description = "Google service account email by service (the iam.gke.io/gcp-service-account annotations)."
  value       = { for service, account in google_service_account.service : service => account.email }
}

output "kafka_client_email" {
  description = "SASL username of the services and KEDA (KAFKA_SASL_USERNAME)."
  value       = google_service_account.kafka_client.email
}

output "secrets_reader_email" {
  description = "The account External Secrets uses."
  value       = google_service_account.secrets.email
}
