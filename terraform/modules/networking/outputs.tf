output "network_id" {
  description = "The VPC network."
  value       = google_compute_network.this.id
}

output "subnet_id" {
  description = "The subnet (projects/P/regions/R/subnetworks/S)."
  value       = google_compute_subnetwork.this.id
}

output "nat_addresses" {
  description = "Reserved Cloud NAT egress addresses (empty with automatic allocation or without NAT)."
  value       = google_compute_address.nat[*].address
}
