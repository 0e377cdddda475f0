variable "project_id" {
  description = "Google Cloud project holding the secrets."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of every secret id, e.g. tributary-prod."
  type        = string
}

variable "secret_names" {
  description = "Secrets to create, without the prefix."
  type        = list(string)
  default     = ["salesforce-client-id", "salesforce-client-secret", "alert-webhook-url"]
}

variable "replica_locations" {
  description = "Regions holding each secret's replicas."
  type        = list(string)
}

variable "accessor_email" {
  description = "The service account allowed to read the secrets (External Secrets in the cluster)."
  type        = string
}

variable "kms_key_name" {
  description = "Cloud KMS key for customer-managed encryption; null uses Google-managed keys."
  type        = string
  default     = null
}

variable "labels" {
  description = "Labels on the secrets."
  type        = map(string)
  default     = {}
}
