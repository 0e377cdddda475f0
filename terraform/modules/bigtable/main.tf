# Bigtable: one instance with autoscaling SSD cluster(s), the three Tributary tables with their column families and
# garbage-collection policies, and the app profile the services use.

locals {
  # Facts and aggregates: one version per cell (rewrites are identical) or two years old, whichever comes first.
  # Salesforce records: versions are the record's history; a version goes once it is two years old, never the newest.
  # A table's retention: its entry in table_retention_days, else retention_days (docs/sizing.md: facts at full rate
  # for two years are storage-bound, so events_fact is the table to shorten).
  retention = { for table in ["events_fact", "events_aggregate", "salesforce_records"] : table => "${lookup(var.table_retention_days, table, var.retention_days) * 24}h" }
  tables = {
    events_fact = {
      families = ["event_data", "metadata", "quality"]
      gc_rules = jsonencode({ mode = "union", rules = [{ max_age = local.retention["events_fact"] }, { max_version = 1 }] })
    }
    events_aggregate = {
      families = ["hourly_stats", "daily_stats", "weekly_stats", "metadata"]
      gc_rules = jsonencode({ mode = "union", rules = [{ max_age = local.retention["events_aggregate"] }, { max_version = 1 }] })
    }
    salesforce_records = {
      families = ["fields", "meta"]
      gc_rules = jsonencode({ mode = "intersection", rules = [{ max_age = local.retention["salesforce_records"] }, { max_version = 1 }] })
    }
  }
  family_policies = merge([
    for table, spec in local.tables : {
      for family in spec.families : "${table}/${family}" => { table = table, family = family, gc_rules = spec.gc_rules }
    }
  ]...)
}

resource "google_bigtable_instance" "this" {
  project             = var.project_id
  name                = var.instance_id
  display_name        = var.instance_id
  deletion_protection = var.deletion_protection
  labels              = var.labels

  dynamic "cluster" {
    for_each = var.clusters
    content {
      cluster_id   = cluster.value.cluster_id
      zone         = cluster.value.zone
      storage_type = "SSD"
      kms_key_name = var.kms_key_name
      autoscaling_config {
        min_nodes  = cluster.value.min_nodes
        max_nodes  = cluster.value.max_nodes
        cpu_target = cluster.value.cpu_target
      }
    }
  }
}

resource "google_bigtable_table" "this" {
  for_each            = local.tables
  project             = var.project_id
  instance_name       = google_bigtable_instance.this.name
  name                = each.key
  deletion_protection = var.deletion_protection ? "PROTECTED" : "UNPROTECTED"

  dynamic "column_family" {
    for_each = toset(each.value.families)
    content {
      family = column_family.value
    }
  }
}

resource "google_bigtable_gc_policy" "this" {
  for_each        = local.family_policies
  project         = var.project_id
  instance_name   = google_bigtable_instance.this.name
  table           = google_bigtable_table.this[each.value.table].name
  column_family   = each.value.family
  gc_rules        = each.value.gc_rules
  deletion_policy = "ABANDON"
}

# Single-cluster routing: the aggregator reads back the cells it wrote when it takes over a partition, which needs
# read-your-writes; replication between clusters is eventually consistent. Extra clusters serve failover and reads.
resource "google_bigtable_app_profile" "services" {
  project         = var.project_id
  instance        = google_bigtable_instance.this.name
  app_profile_id  = var.app_profile_id
  description     = "Tributary services: single-cluster routing for read-your-writes"
  ignore_warnings = true

  single_cluster_routing {
    cluster_id                 = var.clusters[0].cluster_id
    allow_transactional_writes = false
  }
}

# Storage, not CPU, bounds the instance at two years of facts (docs/sizing.md): the autoscaler adds nodes for storage
# up to max_nodes and no further. Raise an incident well before a cluster's storage fills, while there is time to
# shorten events_fact's retention (table_retention_days) or raise max_nodes.
resource "google_monitoring_alert_policy" "storage" {
  project      = var.project_id
  display_name = "Bigtable ${var.instance_id}: storage above ${var.storage_alert_percent}%"
  combiner     = "OR"

  conditions {
    display_name = "storage utilization of a cluster"
    condition_threshold {
      filter          = "resource.type = \"bigtable_cluster\" AND resource.labels.instance = \"${var.instance_id}\" AND metric.type = \"bigtable.googleapis.com/cluster/storage_utilization\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.storage_alert_percent / 100
      duration        = "3600s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MEAN"
      }
    }
  }

  documentation {
    content   = "A Bigtable cluster of ${var.instance_id} is filling up towards max_nodes x the per-node storage limit. docs/deploy.md (Bigtable incident) and docs/sizing.md (storage plan)."
    mime_type = "text/markdown"
  }

  depends_on = [google_bigtable_instance.this]
}
