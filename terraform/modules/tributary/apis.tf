# The Google APIs the environment's resources need, enabled before anything is created: on a fresh project every
# one of them starts disabled and the first resource of each kind would fail. Never disabled on destroy: other
# things in the project may use them, and disabling an API is not undone by the next apply.
locals {
  apis = toset([
    "artifactregistry.googleapis.com",
    "bigtable.googleapis.com",
    "bigtableadmin.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "compute.googleapis.com",
    "container.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "managedkafka.googleapis.com",
    "monitoring.googleapis.com",
    "secretmanager.googleapis.com",
  ])
}

resource "google_project_service" "this" {
  for_each                   = local.apis
  project                    = var.project_id
  service                    = each.key
  disable_on_destroy         = false
  disable_dependent_services = false
}
