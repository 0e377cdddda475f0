# The dev environment: everything Tributary needs in one Google Cloud project. Sizes are in terraform.tfvars.
module "tributary" {
  source              = "../../modules/tributary"
  project_id          = var.project_id
  environment         = "dev"
  region              = var.region
  name_prefix         = "tributary-dev"
  namespace           = "tributary-dev"
  bigtable_clusters   = var.bigtable_clusters
  kafka_vcpu_count    = var.kafka_vcpu_count
  kafka_memory_gib    = var.kafka_memory_gib
  topics              = var.topics
  kafka_only_clients  = ["keda", "load"] # the dev overlay runs the load generators (overlays/dev/load.yaml)
  nat_ip_count        = var.nat_ip_count
  authorized_networks = var.authorized_networks
  kms_key_name        = var.kms_key_name
  deletion_protection = var.deletion_protection
}
