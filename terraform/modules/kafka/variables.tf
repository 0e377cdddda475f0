variable "project_id" {
  description = "Google Cloud project holding the cluster."
  type        = string
}

variable "region" {
  description = "Region of the cluster (the services' region)."
  type        = string
}

variable "cluster_id" {
  description = "Managed Kafka cluster id."
  type        = string
}

variable "subnet_id" {
  description = "Subnet (projects/P/regions/R/subnetworks/S) the brokers are reachable from."
  type        = string
}

variable "vcpu_count" {
  description = "Cluster vCPUs (at least 3); docs/sizing.md turns throughput into vCPUs."
  type        = number
  validation {
    condition     = var.vcpu_count >= 3
    error_message = "Managed Kafka clusters have at least 3 vCPUs."
  }
}

variable "memory_gib" {
  description = "Cluster memory in GiB (between 1 and 8 GiB per vCPU)."
  type        = number
}

variable "replication_factor" {
  description = "Replicas of every partition."
  type        = number
  default     = 3
}

variable "topics" {
  description = "Topics by name: partitions (a stage scales up to its input topic's partition count), retention in hours, and whether the topic is compacted (last value per key, e.g. salesforce.watermarks)."
  type = map(object({
    partitions      = number
    retention_hours = number
    compact         = optional(bool, false)
  }))
}

variable "kms_key_name" {
  description = "Cloud KMS key for customer-managed encryption; null uses Google-managed keys."
  type        = string
  default     = null
}

variable "labels" {
  description = "Labels on the cluster."
  type        = map(string)
  default     = {}
}
