# A private network for the cluster and the Kafka brokers: one subnet with ranges for pods and services, Private
# Google Access (Bigtable, Secret Manager, Artifact Registry without public addresses) and flow logs.

resource "google_compute_network" "this" {
  project                 = var.project_id
  name                    = var.network_name
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "this" {
  project                  = var.project_id
  name                     = "${var.network_name}-${var.region}"
  region                   = var.region
  network                  = google_compute_network.this.id
  ip_cidr_range            = var.subnet_cidr
  private_ip_google_access = true

  secondary_ip_range {
    range_name    = "pods"
    ip_cidr_range = var.pods_cidr
  }

  secondary_ip_range {
    range_name    = "services"
    ip_cidr_range = var.services_cidr
  }

  log_config {
    aggregation_interval = "INTERVAL_5_MIN"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

# Ingress: nothing from outside the network; inside it, the subnet's own ranges (nodes, pods, Kafka brokers).
resource "google_compute_firewall" "deny_external_ingress" {
  project       = var.project_id
  name          = "${var.network_name}-deny-ingress"
  network       = google_compute_network.this.id
  direction     = "INGRESS"
  priority      = 65000
  source_ranges = ["0.0.0.0/0"]

  deny {
    protocol = "all"
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "allow_internal" {
  project       = var.project_id
  name          = "${var.network_name}-allow-internal"
  network       = google_compute_network.this.id
  direction     = "INGRESS"
  priority      = 1000
  source_ranges = [var.subnet_cidr, var.pods_cidr, var.services_cidr]

  allow {
    protocol = "tcp"
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

# Egress: the nodes are private (no external addresses), yet the extractor calls Salesforce and alerting its webhook
# on the internet. Cloud NAT gives the subnet's nodes and pods that path out; nothing can come in through it. With
# nat_ip_count > 0 the addresses are reserved, so a Salesforce org's login IP ranges or a webhook allowlist can name them.
resource "google_compute_router" "this" {
  count   = var.nat_enabled ? 1 : 0
  project = var.project_id
  name    = "${var.network_name}-router"
  region  = var.region
  network = google_compute_network.this.id
}

resource "google_compute_address" "nat" {
  count   = var.nat_enabled ? var.nat_ip_count : 0
  project = var.project_id
  name    = "${var.network_name}-nat-${count.index}"
  region  = var.region
}

resource "google_compute_router_nat" "this" {
  count                              = var.nat_enabled ? 1 : 0
  project                            = var.project_id
  name                               = "${var.network_name}-nat"
  region                             = var.region
  router                             = google_compute_router.this[0].name
  nat_ip_allocate_option             = var.nat_ip_count > 0 ? "MANUAL_ONLY" : "AUTO_ONLY"
  nat_ips                            = google_compute_address.nat[*].self_link
  source_subnetwork_ip_ranges_to_nat = "LIST_OF_SUBNETWORKS"
  min_ports_per_vm                   = var.nat_min_ports_per_vm

  subnetwork {
    name                    = google_compute_subnetwork.this.id
    source_ip_ranges_to_nat = ["ALL_IP_RANGES"]
  }

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}
