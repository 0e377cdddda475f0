# staging: production's shape at about a tenth of its load (50,000 events/s); see docs/sizing.md.
project_id = "tributary-staging"

# Who may reach the control plane (kubectl): replace with the operators' VPN or office egress range before the
# first apply. 203.0.113.0/24 is a documentation range (RFC 5737) that reaches nothing; see docs/deploy.md.
authorized_networks = [
  { cidr_block = "203.0.113.0/24", display_name = "operators-vpn" },
]

bigtable_clusters = [
  { cluster_id = "tributary-stg-c1", zone = "europe-west1-b", min_nodes = 3, max_nodes = 20, cpu_target = 70 },
]

kafka_vcpu_count = 18
kafka_memory_gib = 72

topics = {
  "events.raw"            = { partitions = 16, retention_hours = 24 }
  "events.clean"          = { partitions = 16, retention_hours = 24 }
  "events.dlq"            = { partitions = 4, retention_hours = 168 }
  "salesforce.cdc"        = { partitions = 6, retention_hours = 72 }
  "salesforce.records"    = { partitions = 6, retention_hours = 72 }
  "salesforce.watermarks" = { partitions = 1, retention_hours = 8760, compact = true }
  "pipeline.batch"        = { partitions = 1, retention_hours = 72 }
  "pipeline.status"       = { partitions = 3, retention_hours = 24 }
  "pipeline.alerts"       = { partitions = 3, retention_hours = 168 }
}
