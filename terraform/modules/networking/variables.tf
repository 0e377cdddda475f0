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

variable "nat_enabled" {
  description = "Create a Cloud Router and Cloud NAT so private nodes reach the internet (Salesforce, the alert webhook). Turn off only where another egress path (a proxy, a shared VPC's NAT) exists."
  type        = bool
  default     = true
}

variable "nat_ip_count" {
  description = "Static external addresses for Cloud NAT (0: Google allocates them automatically). Reserve some when Salesforce login IP ranges or a webhook allowlist must name the egress addresses."
  type        = number
  default     = 0
  validation {
    condition     = var.nat_ip_count >= 0
    error_message = "nat_ip_count is 0 (automatic addresses) or more (reserved addresses)."
  }
}

variable "nat_min_ports_per_vm" {
  description = "Cloud NAT source ports per node; each pod's outbound connections share its node's ports."
  type        = number
  default     = 256
}
