"""The compose init job's topic script: run with POSIX sh against a stand-in kafka-topics.sh that records its
arguments, it must ask for every topic of deploy/topics.txt with its partition count, idempotently; and the topics
file must name exactly the SPEC topics the dev environment's terraform declares, with the same partitions (the
compose stack and dev behave alike), which are those of PipelineTopic."""
import os
import re
import subprocess
import tempfile

from common import ROOT, topic_partitions_from_tfvars, topic_partitions_from_topics_file

SCRIPT = os.path.join(ROOT, "deploy", "compose", "create-topics.sh")


def check_topics(results):
    problems = []
    expected = topic_partitions_from_topics_file()
    dev = topic_partitions_from_tfvars(os.path.join(ROOT, "terraform", "environments", "dev", "terraform.tfvars"))
    with open(os.path.join(ROOT, "Shared", "PipelineKafka", "PipelineTopic.swift")) as handle:
        spec_topics = set(re.findall(r'case \w+ = "([a-z.]+)"', handle.read()))
    if set(expected) != spec_topics:
        problems.append(f"deploy/topics.txt names {sorted(expected)}, PipelineTopic has {sorted(spec_topics)}")
    if expected != dev:
        problems.append(f"deploy/topics.txt {expected} differs from terraform dev {dev}")
    with tempfile.TemporaryDirectory() as directory:
        log = os.path.join(directory, "calls")
        stub = os.path.join(directory, "kafka-topics.sh")
        with open(stub, "w") as handle:
            handle.write(f'#!/bin/sh\necho "$*" >> "{log}"\n')
        os.chmod(stub, 0o755)
        env = dict(os.environ, KAFKA_BOOTSTRAP_SERVERS="kafka:9092", TOPICS_FILE=os.path.join(ROOT, "deploy", "topics.txt"),
                   KAFKA_TOPICS_BIN=stub)
        result = subprocess.run(["sh", SCRIPT], env=env, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            problems.append(f"create-topics.sh failed: {result.stderr.strip()}")
        else:
            created = {}
            for line in open(log).read().splitlines():
                words = line.split()
                if "--create" in words:
                    if "--if-not-exists" not in words:
                        problems.append(f"not idempotent: {line}")
                    created[words[words.index("--topic") + 1]] = int(words[words.index("--partitions") + 1])
            if created != expected:
                problems.append(f"create-topics.sh created {created}, expected {expected}")
    results.report("compose init job creates every topic with its partitions", problems, note=f"{len(expected)} topics")
