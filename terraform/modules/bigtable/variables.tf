variable "project_id" {
  description = "Google Cloud project holding the instance."
  type        = string
}

variable "instance_id" {
  description = "Bigtable instance id (the services' BIGTABLE_INSTANCE)."
  type        = string
}

variable "clusters" {
  description = "Clusters of the instance; the first one serves the services' app profile. Nodes autoscale between min_nodes and max_nodes to hold cpu_target percent (docs/sizing.md)."
  type = list(object({
    cluster_id = string
    zone       = string
    min_nodes  = number
    max_nodes  = number
    cpu_target = number
  }))
  validation {
    condition     = length(var.clusters) > 0 && alltrue([for c in var.clusters : c.min_nodes >= 1 && c.max_nodes >= c.min_nodes && c.cpu_target >= 10 && c.cpu_target <= 80])
    error_message = "At least one cluster, 1 <= min_nodes <= max_nodes, cpu_target between 10 and 80."
  }
}

variable "retention_days" {
  description = "Age after which cells are garbage-collected (730: the two years finance asks for)."
  type        = number
  default     = 730
}

variable "table_retention_days" {
  description = "Retention by table, overriding retention_days (e.g. { events_fact = 30 }): the storage plan of docs/sizing.md."
  type        = map(number)
  default     = {}
  validation {
    condition     = alltrue([for table in keys(var.table_retention_days) : contains(["events_fact", "events_aggregate", "salesforce_records"], table)])
    error_message = "table_retention_days keys are events_fact, events_aggregate or salesforce_records."
  }
}

variable "storage_alert_percent" {
  description = "Alert when a cluster's storage utilization passes this percentage of what its nodes can hold."
  type        = number
  default     = 70
}

variable "app_profile_id" {
  description = "App profile the services use (BIGTABLE_APP_PROFILE)."
  type        = string
  default     = "tributary-services"
}

variable "kms_key_name" {
  description = "Cloud KMS key for customer-managed encryption of the clusters; null uses Google-managed keys."
  type        = string
  default     = null
}

variable "deletion_protection" {
  description = "Refuse to destroy the instance and its tables."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels on the instance."
  type        = map(string)
  default     = {}
}
