# One Google service account per service, bound to its Kubernetes service account by Workload Identity, with only
# what that service needs: roles/bigtable.user on its own tables (never the instance), nothing for services that do
# not touch Bigtable. Kafka access is per identity too: every service is its own Kafka client (SASL/PLAIN username =
# its account, password = its own key), plus KEDA's lag reader and dev's load generators (kafka_only_clients), so a
# leaked key is one service's, and revoking it stops one service. External Secrets has its own account that reads
# the Tributary secrets only (granted in modules/secrets). docs/deploy.md explains the choice.

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
  # The table's name from modules/bigtable's output, not the literal key: that makes each binding wait for its
  # table to exist (a table IAM policy on a missing table fails the first apply).
  table  = var.table_names[each.value.table]
  role   = "roles/bigtable.user"
  member = "serviceAccount:${google_service_account.service[each.value.service].email}"
}

# Accounts that only talk to Kafka: KEDA reading consumer lag, the dev load generators.
resource "google_service_account" "kafka_only" {
  for_each     = toset(var.kafka_only_clients)
  project      = var.project_id
  account_id   = "${var.name_prefix}-${each.key}"
  display_name = "Tributary Kafka client ${each.key} (${var.name_prefix})"
}

locals {
  kafka_clients = merge(
    { for service, account in google_service_account.service : service => account.email },
    { for client, account in google_service_account.kafka_only : client => account.email },
  )
}

# Managed Kafka checks roles/managedkafka.client at SASL login. Granted on the project, without a condition: the
# provider has no cluster-level IAM resource, and a condition on resource.name would have to match the name the
# service checks (it uses the project *number*, projects/123/locations/.../clusters/...), so the earlier
# startsWith("projects/<project id>/...") never matched and refused every login. The project holds one Tributary
# cluster per environment; topic-level limits, if wanted, are Kafka ACLs (docs/deploy.md).
resource "google_project_iam_member" "kafka_client" {
  for_each = local.kafka_clients
  project  = var.project_id
  role     = "roles/managedkafka.client"
  member   = "serviceAccount:${each.value}"
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
