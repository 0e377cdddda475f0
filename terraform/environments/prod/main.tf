# The prod environment: everything Tributary needs in one Google Cloud project. Sizes are in terraform.tfvars.
module "tributary" {
  source              = "../../modules/tributary"
  project_id          = var.project_id
  environment         = "prod"
  region              = var.region
  name_prefix         = "tributary-prod"
  namespace           = "tributary"
  bigtable_clusters   = var.bigtable_clusters
  kafka_vcpu_count    = var.kafka_vcpu_count
  kafka_memory_gib    = var.kafka_memory_gib
  topics              = var.topics
  nat_ip_count        = var.nat_ip_count
  authorized_networks = var.authorized_networks
  kms_key_name        = var.kms_key_name
  deletion_protection = var.deletion_protection
}
