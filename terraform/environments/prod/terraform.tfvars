# prod: 500,000 events/s. Every number comes from docs/sizing.md, which shows the arithmetic.
project_id = "tributary-prod"

# Two clusters for availability: each applies every write (replication), so each is sized for the full load.
# Who may reach the control plane (kubectl): replace with the operators' VPN or office egress range before the
# first apply. 203.0.113.0/24 is a documentation range (RFC 5737) that reaches nothing; see docs/deploy.md.
authorized_networks = [
  { cidr_block = "203.0.113.0/24", display_name = "operators-vpn" },
]

bigtable_clusters = [
  { cluster_id = "tributary-prod-c1", zone = "europe-west1-b", min_nodes = 60, max_nodes = 200, cpu_target = 70 },
  { cluster_id = "tributary-prod-c2", zone = "europe-west1-c", min_nodes = 60, max_nodes = 200, cpu_target = 70 },
]

kafka_vcpu_count = 180
kafka_memory_gib = 720

topics = {
  "events.raw"            = { partitions = 64, retention_hours = 24 }
  "events.clean"          = { partitions = 128, retention_hours = 24 }
  "events.dlq"            = { partitions = 8, retention_hours = 168 }
  "salesforce.cdc"        = { partitions = 12, retention_hours = 72 }
  "salesforce.records"    = { partitions = 12, retention_hours = 72 }
  "salesforce.watermarks" = { partitions = 1, retention_hours = 8760, compact = true }
  "pipeline.batch"        = { partitions = 1, retention_hours = 72 }
  "pipeline.status"       = { partitions = 6, retention_hours = 24 }
  "pipeline.alerts"       = { partitions = 3, retention_hours = 168 }
}
