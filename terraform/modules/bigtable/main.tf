# Bigtable: one instance with autoscaling SSD cluster(s), the three Tributary tables with their column families and
# garbage-collection policies, and the app profile the services use.

locals {
  # Facts and aggregates: one version per cell (rewrites are identical) or two years old, whichever comes first.
  # Salesforce records: versions are the record's history; a version goes once it is two years old, never the newest.
  retention = "${var.retention_days * 24}h"
  tables = {
    events_fact = {
      families = ["event_data", "metadata", "quality"]
      gc_rules = jsonencode({ mode = "union", rules = [{ max_age = local.retention }, { max_version = 1 }] })
    }
    events_aggregate = {
      families = ["hourly_stats", "daily_stats", "weekly_stats", "metadata"]
      gc_rules = jsonencode({ mode = "union", rules = [{ max_age = local.retention }, { max_version = 1 }] })
    }
    salesforce_records = {
      families = ["fields", "meta"]
      gc_rules = jsonencode({ mode = "intersection", rules = [{ max_age = local.retention }, { max_version = 1 }] })
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
