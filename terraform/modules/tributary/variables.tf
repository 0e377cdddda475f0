variable "project_id" {
  description = "Google Cloud project of the environment."
  type        = string
}

variable "environment" {
  description = "Environment name (dev, staging, prod); a label on every resource."
  type        = string
}

variable "region" {
  description = "Region of Kafka, the cluster, the network and the secrets."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of resource names and service account ids (at most 14 characters), e.g. tributary-prod."
  type        = string
}

variable "namespace" {
  description = "Kubernetes namespace of the services (deploy/k8s/overlays/<env>)."
  type        = string
}

variable "bigtable_clusters" {
  description = "Bigtable clusters with their autoscaling bounds (docs/sizing.md); the first serves the services."
  type = list(object({
    cluster_id = string
    zone       = string
    min_nodes  = number
    max_nodes  = number
    cpu_target = number
  }))
}

variable "retention_days" {
  description = "Bigtable garbage-collection age in days."
  type        = number
  default     = 730
}

variable "table_retention_days" {
  description = "Bigtable retention by table, overriding retention_days (docs/sizing.md, storage plan)."
  type        = map(number)
  default     = {}
}

variable "kafka_only_clients" {
  description = "Kafka clients besides the services, each with its own account and key: keda always; dev adds load (the load generators)."
  type        = list(string)
  default     = ["keda"]
}

variable "kafka_vcpu_count" {
  description = "Managed Kafka cluster vCPUs (docs/sizing.md)."
  type        = number
}

variable "kafka_memory_gib" {
  description = "Managed Kafka cluster memory in GiB."
  type        = number
}

variable "topics" {
  description = "Kafka topics: partitions, retention in hours and compaction (salesforce.watermarks). Keep deploy/k8s/overlays/<env> KEDA caps at or below the partitions (scripts/check-deploy.sh checks it)."
  type = map(object({
    partitions      = number
    retention_hours = number
    compact         = optional(bool, false)
  }))
}

variable "create_gke_cluster" {
  description = "Create a GKE Autopilot cluster and image repository for the services."
  type        = bool
  default     = true
}

variable "authorized_networks" {
  description = "Networks allowed to reach the GKE control plane (the operators' VPN or office egress ranges); required, so a fresh environment is reachable by kubectl."
  type = list(object({
    cidr_block   = string
    display_name = string
  }))
  validation {
    condition     = length(var.authorized_networks) > 0 && alltrue([for n in var.authorized_networks : can(cidrhost(n.cidr_block, 0)) && n.cidr_block != "0.0.0.0/0"])
    error_message = "Name at least one network (CIDR, not 0.0.0.0/0) allowed to reach the control plane: with none, nobody can run kubectl against the cluster (docs/deploy.md, first deploy)."
  }
}

variable "kms_key_name" {
  description = "Cloud KMS key for customer-managed encryption everywhere it applies; null uses Google-managed keys."
  type        = string
  default     = null
}

variable "deletion_protection" {
  description = "Protect the Bigtable instance, tables and cluster from destroy."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Extra labels on every resource."
  type        = map(string)
  default     = {}
}

variable "nat_ip_count" {
  description = "Reserved Cloud NAT egress addresses (0: automatic); modules/networking."
  type        = number
  default     = 0
}
