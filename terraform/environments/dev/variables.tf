variable "project_id" {
  description = "Google Cloud project of the dev environment."
  type        = string
}

variable "region" {
  description = "Region of the environment."
  type        = string
  default     = "europe-west1"
}

variable "node_service_account" {
  description = "Email of the GKE nodes' service account (it gets read access to the image repository)."
  type        = string
}

variable "authorized_networks" {
  description = "Networks allowed to reach the GKE control plane."
  type = list(object({
    cidr_block   = string
    display_name = string
  }))
  default = []
}

variable "kms_key_name" {
  description = "Cloud KMS key for customer-managed encryption; null uses Google-managed keys."
  type        = string
  default     = null
}

variable "bigtable_clusters" {
  description = "Bigtable clusters and their autoscaling bounds (docs/sizing.md)."
  type = list(object({
    cluster_id = string
    zone       = string
    min_nodes  = number
    max_nodes  = number
    cpu_target = number
  }))
}

variable "kafka_vcpu_count" {
  description = "Managed Kafka vCPUs (docs/sizing.md)."
  type        = number
}

variable "kafka_memory_gib" {
  description = "Managed Kafka memory in GiB (4 GiB per vCPU recommended)."
  type        = number
}

variable "topics" {
  description = "Topics with partitions, retention hours and compaction (salesforce.watermarks); deploy/k8s/overlays KEDA caps must not exceed the partitions."
  type = map(object({
    partitions      = number
    retention_hours = number
    compact         = optional(bool, false)
  }))
}

variable "deletion_protection" {
  description = "Protect Bigtable and the cluster from terraform destroy."
  type        = bool
  default     = true
}
