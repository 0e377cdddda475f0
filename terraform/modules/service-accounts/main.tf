# One Google service account per service, bound to its Kubernetes service account by Workload Identity, with only
# what that service needs: roles/bigtable.user on its own tables (never the instance), nothing for services that do
# not touch Bigtable. Kafka access goes through one client account limited to the one cluster; External Secrets has
# its own account that reads the Tributary secrets only (granted in modules/secrets).

locals {
  table_grants = merge([
    for service, tables in var.bigtable_tables : {
      for table in tables : "${service}/${table}" => { service = service, table = table }
    }
  ]...)
}

resource "google_service_account" "service" {
  for_each     = toset(var.services)
  project      = var.project_id
  account_id   = "${var.name_prefix}-${each.key}"
  display_name = "Tributary ${each.key} (${var.name_prefix})"
}

resource "google_service_account_iam_member" "workload_identity" {
  for_each           = google_service_account.service
  service_account_id = each.value.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[${var.namespace}/${each.key}]"
}

resource "google_bigtable_table_iam_member" "table_user" {
  for_each      = local.table_grants
  project       = var.project_id
  instance_name = var.bigtable_instance
  table         = each.value.table
  role          = "roles/bigtable.user"
  member        = "serviceAccount:${google_service_account.service[each.value.service].email}"
}

# The Kafka client identity (SASL/PLAIN username; its key is the password, stored in Secret Manager by an operator).
resource "google_service_account" "kafka_client" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-kafka-client"
  display_name = "Tributary Kafka client (${var.name_prefix})"
}

resource "google_project_iam_member" "kafka_client" {
  project = var.project_id
  role    = "roles/managedkafka.client"
  member  = "serviceAccount:${google_service_account.kafka_client.email}"

  condition {
    title       = "only-${var.kafka_cluster_id}"
    description = "Kafka client access to the Tributary cluster only."
    expression  = "resource.name.startsWith(\"projects/${var.project_id}/locations/${var.region}/clusters/${var.kafka_cluster_id}\")"
  }
}

resource "google_service_account" "secrets" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-secrets"
  display_name = "Tributary External Secrets reader (${var.name_prefix})"
}

resource "google_service_account_iam_member" "secrets_workload_identity" {
  service_account_id = google_service_account.secrets.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[${var.namespace}/external-secrets]"
}
