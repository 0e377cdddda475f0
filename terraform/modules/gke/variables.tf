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
  description = "Networks allowed to reach the control plane (required: at least one, never 0.0.0.0/0)."
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
