"""Images in the GKE overlays: each is pinned by digest or by a version tag (x.y.z, optionally -suffix), never a
moving name such as `dev` or `latest`. The Artifact Registry repository has immutable tags, so pushing a moving
name a second time is refused and the deploy would keep running the old image. scripts/set-image.sh writes a
unique tag (<version>-<commit>) or a digest into an overlay."""
import re

VERSION_TAG = re.compile(r"^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$")


def containers(doc):
    spec = doc.get("spec", {})
    pod = spec.get("jobTemplate", {}).get("spec", spec).get("template", {}).get("spec", {})
    return pod.get("containers", []) + pod.get("initContainers", [])


def check_images(results, renders):
    problems = []
    for where in sorted(w for w in renders if w.startswith("overlays/")):
        for doc in renders[where]:
            for container in containers(doc):
                image = container.get("image", "")
                if "@sha256:" in image:
                    continue
                tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else "latest"
                if not VERSION_TAG.match(tag):
                    problems.append(f"{where}: {doc['kind']} {doc['metadata']['name']}: image {image} uses the moving "
                                    f"tag {tag!r}, which an immutable-tag registry refuses to push twice; pin a digest "
                                    "or a unique version tag (scripts/set-image.sh)")
    results.report("overlay images pinned by digest or unique version tag", problems)
