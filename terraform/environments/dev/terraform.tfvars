# dev: smallest sizes; the dev overlay runs the load generator at a few thousand events/s.
project_id          = "tributary-dev"
deletion_protection = false

# Who may reach the control plane (kubectl): replace with the operators' VPN or office egress range before the
# first apply. 203.0.113.0/24 is a documentation range (RFC 5737) that reaches nothing; see docs/deploy.md.
authorized_networks = [
  { cidr_block = "203.0.113.0/24", display_name = "operators-vpn" },
]

bigtable_clusters = [
  { cluster_id = "tributary-dev-c1", zone = "europe-west1-b", min_nodes = 1, max_nodes = 3, cpu_target = 70 },
]

kafka_vcpu_count = 3
kafka_memory_gib = 12

topics = {
  "events.raw"            = { partitions = 12, retention_hours = 24 }
  "events.clean"          = { partitions = 12, retention_hours = 24 }
  "events.dlq"            = { partitions = 6, retention_hours = 168 }
  "salesforce.cdc"        = { partitions = 6, retention_hours = 72 }
  "salesforce.records"    = { partitions = 6, retention_hours = 72 }
  "salesforce.watermarks" = { partitions = 1, retention_hours = 8760, compact = true }
  "pipeline.batch"        = { partitions = 1, retention_hours = 72 }
  "pipeline.status"       = { partitions = 3, retention_hours = 24 }
  "pipeline.alerts"       = { partitions = 3, retention_hours = 168 }
}
