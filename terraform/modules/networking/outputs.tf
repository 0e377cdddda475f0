output "network_id" {
  description = "The VPC network."
  value       = google_compute_network.this.id
}

output "subnet_id" {
  description = "The subnet (projects/P/regions/R/subnetworks/S)."
  value       = google_compute_subnetwork.this.id
}
