variable "project_id" {
  description = "Google Cloud project holding the network."
  type        = string
}

variable "region" {
  description = "Region of the subnet."
  type        = string
}

variable "network_name" {
  description = "Name of the VPC network."
  type        = string
}

variable "subnet_cidr" {
  description = "Primary range of the subnet (nodes, Kafka broker addresses)."
  type        = string
  default     = "10.10.0.0/20"
}

variable "pods_cidr" {
  description = "Secondary range for pods."
  type        = string
  default     = "10.20.0.0/14"
}

variable "services_cidr" {
  description = "Secondary range for Kubernetes services."
  type        = string
  default     = "10.30.0.0/20"
}
