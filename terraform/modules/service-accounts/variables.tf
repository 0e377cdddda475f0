variable "project_id" {
  description = "Google Cloud project holding the service accounts."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of every account id (account ids have at most 30 characters: keep it at most 14)."
  type        = string
  validation {
    condition     = length(var.name_prefix) <= 14
    error_message = "name_prefix has at most 14 characters, so that prefix-bigtable-writer fits in 30."
  }
}

variable "namespace" {
  description = "Kubernetes namespace of the services (Workload Identity member)."
  type        = string
}

variable "services" {
  description = "Services that get their own account; each Kubernetes service account has the service's name."
  type        = list(string)
  default     = ["transformer", "bigtable-writer", "aggregator", "extractor", "cdc-router", "alerting"]
}

variable "bigtable_instance" {
  description = "Bigtable instance id holding the tables."
  type        = string
}

variable "bigtable_tables" {
  description = "Tables each service reads and writes (roles/bigtable.user on each table only)."
  type        = map(list(string))
  default = {
    "bigtable-writer" = ["events_fact", "salesforce_records"]
    "aggregator"      = ["events_aggregate"]
  }
}

variable "table_names" {
  description = "Table name by table key, from modules/bigtable (so the table bindings depend on the tables)."
  type        = map(string)
}

variable "kafka_only_clients" {
  description = "Kafka clients that are not services and get an account of their own: KEDA's lag reader, the dev load generators."
  type        = list(string)
  default     = ["keda"]
}
