# Google Cloud Managed Service for Apache Kafka: one cluster reachable from the services' subnet, and the SPEC topics
# with their partition counts (docs/sizing.md).

resource "google_managed_kafka_cluster" "this" {
  project    = var.project_id
  cluster_id = var.cluster_id
  location   = var.region
  labels     = var.labels

  capacity_config {
    vcpu_count   = var.vcpu_count
    memory_bytes = var.memory_gib * 1024 * 1024 * 1024
  }

  gcp_config {
    kms_key = var.kms_key_name
    access_config {
      network_configs {
        subnet = var.subnet_id
      }
    }
  }

  rebalance_config {
    mode = "AUTO_REBALANCE_ON_SCALE_UP"
  }
}

resource "google_managed_kafka_topic" "this" {
  for_each           = var.topics
  project            = var.project_id
  cluster            = google_managed_kafka_cluster.this.cluster_id
  location           = var.region
  topic_id           = each.key
  partition_count    = each.value.partitions
  replication_factor = var.replication_factor
  configs = {
    "cleanup.policy"      = each.value.compact ? "compact" : "delete"
    "retention.ms"        = tostring(each.value.retention_hours * 3600 * 1000)
    "min.insync.replicas" = tostring(var.replication_factor - 1)
  }
}
