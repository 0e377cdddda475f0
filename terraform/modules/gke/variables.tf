variable "project_id" {
  description = "Google Cloud project holding the cluster."
  type        = string
}

variable "region" {
  description = "Region of the (regional) Autopilot cluster."
  type        = string
}

variable "cluster_name" {
  description = "Name of the cluster."
  type        = string
}

variable "network_id" {
  description = "VPC network of the cluster."
  type        = string
}

variable "subnet_id" {
  description = "Subnet with the `pods` and `services` secondary ranges."
  type        = string
}

variable "master_cidr" {
  description = "/28 range for the control plane's private endpoint."
  type        = string
  default     = "172.16.0.0/28"
}

variable "authorized_networks" {
  description = "Networks allowed to reach the control plane."
  type = list(object({
    cidr_block   = string
    display_name = string
  }))
  default = []
}

variable "node_service_account" {
  description = "Email of the nodes' service account (Autopilot: the project's default compute account unless set)."
  type        = string
}

variable "kms_key_name" {
  description = "Cloud KMS key for etcd secrets and the image repository; null uses Google-managed keys."
  type        = string
  default     = null
}

variable "deletion_protection" {
  description = "Refuse to destroy the cluster."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels on the cluster and repository."
  type        = map(string)
  default     = {}
}
