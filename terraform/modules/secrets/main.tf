# Secret Manager entries for what the services must not see in configuration: the Salesforce OAuth client, the alert
# webhook URL and each Kafka client's service-account key (kafka-key-<client>). Terraform creates the entries only; operators add the values
# (`gcloud secrets versions add NAME --data-file=-`), so no secret value ever lands in terraform state.

resource "google_secret_manager_secret" "this" {
  for_each  = toset(var.secret_names)
  project   = var.project_id
  secret_id = "${var.name_prefix}-${each.key}"
  labels    = var.labels

  replication {
    user_managed {
      dynamic "replicas" {
        for_each = toset(var.replica_locations)
        content {
          location = replicas.value
          dynamic "customer_managed_encryption" {
            for_each = var.kms_key_name == null ? [] : [var.kms_key_name]
            content {
              kms_key_name = customer_managed_encryption.value
            }
          }
        }
      }
    }
  }
}

# Only the External Secrets service account reads them, secret by secret.
resource "google_secret_manager_secret_iam_member" "accessor" {
  for_each  = google_secret_manager_secret.this
  project   = var.project_id
  secret_id = each.value.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${var.accessor_email}"
}
