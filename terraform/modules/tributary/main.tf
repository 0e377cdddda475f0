# One Tributary environment: network, Bigtable, Managed Kafka, service accounts, secrets and (optionally) a GKE
# Autopilot cluster. terraform/environments/<env> call this with their sizes.

locals {
  labels = merge(var.labels, { app = "tributary", environment = var.environment })
}

module "networking" {
  source       = "../networking"
  project_id   = var.project_id
  region       = var.region
  network_name = var.name_prefix
  nat_ip_count = var.nat_ip_count
  depends_on   = [google_project_service.this]
}

module "bigtable" {
  source               = "../bigtable"
  project_id           = var.project_id
  instance_id          = var.name_prefix
  clusters             = var.bigtable_clusters
  retention_days       = var.retention_days
  table_retention_days = var.table_retention_days
  kms_key_name         = var.kms_key_name
  deletion_protection  = var.deletion_protection
  labels               = local.labels
  depends_on           = [google_project_service.this]
}

module "kafka" {
  source       = "../kafka"
  project_id   = var.project_id
  region       = var.region
  cluster_id   = var.name_prefix
  subnet_id    = module.networking.subnet_id
  vcpu_count   = var.kafka_vcpu_count
  memory_gib   = var.kafka_memory_gib
  topics       = var.topics
  kms_key_name = var.kms_key_name
  labels       = local.labels
  depends_on   = [google_project_service.this]
}

module "service_accounts" {
  source             = "../service-accounts"
  project_id         = var.project_id
  name_prefix        = var.name_prefix
  namespace          = var.namespace
  bigtable_instance  = module.bigtable.instance_id
  table_names        = module.bigtable.table_names
  kafka_only_clients = var.kafka_only_clients
  depends_on         = [google_project_service.this]
}

module "secrets" {
  source            = "../secrets"
  project_id        = var.project_id
  name_prefix       = var.name_prefix
  secret_names      = concat(["salesforce-client-id", "salesforce-client-secret", "alert-webhook-url"], [for client in module.service_accounts.kafka_clients : "kafka-key-${client}"])
  replica_locations = [var.region]
  accessor_email    = module.service_accounts.secrets_reader_email
  kms_key_name      = var.kms_key_name
  labels            = local.labels
  depends_on        = [google_project_service.this]
}

module "gke" {
  source              = "../gke"
  count               = var.create_gke_cluster ? 1 : 0
  project_id          = var.project_id
  region              = var.region
  cluster_name        = var.name_prefix
  network_id          = module.networking.network_id
  subnet_id           = module.networking.subnet_id
  authorized_networks = var.authorized_networks
  kms_key_name        = var.kms_key_name
  deletion_protection = var.deletion_protection
  labels              = local.labels
  depends_on          = [google_project_service.this]
}
