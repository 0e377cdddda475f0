output "cluster_id" {
  description = "The Managed Kafka cluster id."
  value       = google_managed_kafka_cluster.this.cluster_id
}

output "bootstrap_address" {
  description = "Bootstrap servers for the services (KAFKA_BOOTSTRAP_SERVERS)."
  value       = "bootstrap.${google_managed_kafka_cluster.this.cluster_id}.${var.region}.managedkafka.${var.project_id}.cloud.goog:9092"
}

output "topic_partitions" {
  description = "Partition count by topic (the KEDA maxReplicaCount caps in deploy/k8s/overlays)."
  value       = { for name, topic in google_managed_kafka_topic.this : name => topic.partition_count }
}
