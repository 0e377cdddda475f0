variable "project_id" {
  description = "Google Cloud project of the prod environment."
  type        = string
}

variable "region" {
  description = "Region of the environment."
  type        = string
  default     = "europe-west1"
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

variable "nat_ip_count" {
  description = "Reserved Cloud NAT egress addresses (0: automatic). Reserve them when Salesforce login IP ranges or the webhook's allowlist must name the pipeline's addresses."
  type        = number
  default     = 0
}
