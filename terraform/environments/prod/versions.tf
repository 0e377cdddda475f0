terraform {
  required_version = ">= 1.6"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.50" # 6.50: instance_name on google_bigtable_table_iam_*
    }
  }

  # State in a GCS bucket per environment: terraform init -backend-config="bucket=<state bucket>"
  backend "gcs" {
    prefix = "tributary/prod"
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}
