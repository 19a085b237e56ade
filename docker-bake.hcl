# docker buildx bake -f docker-bake.hcl [--load|--push] [target]
# Targets as frappe_docker's: the app image (here "sharpbench") plus "base" (the runtime base
# with nginx and the clients) and "build" (the SDK stage), and the same tag rule.

variable "REGISTRY_USER" {
  default = "sharpbench"
}

# A release tag such as v1.2.3 gives :v1.2.3, :v1 and :version-1; "develop" and "latest" give :latest.
variable "SHARPBENCH_VERSION" {
  default = "latest"
}

variable "SDK_IMAGE" {
  default = "mcr.microsoft.com/dotnet/sdk:10.0"
}

variable "NODE_IMAGE" {
  default = "node:20-bookworm-slim"
}

variable "BASE_IMAGE" {
  default = "debian:bookworm-slim"
}

# Extra apps from apps/ to build into the image, space-separated (e.g. "jobs_example").
variable "APPS" {
  default = ""
}

# Empty: the builder's own platform (what --load needs). CI and releases set
# "linux/amd64,linux/arm64".
variable "PLATFORMS" {
  default = ""
}

function "tag" {
  params = [repo, version]
  result = compact(distinct([
    "${REGISTRY_USER}/${repo}:${version}",
    contains(["develop", "latest"], version) ? "${REGISTRY_USER}/${repo}:latest" : "",
    can(regex("^(v[0-9]+)[.]", version)) ? "${REGISTRY_USER}/${repo}:${regex("^(v[0-9]+)[.]", version)[0]}" : "",
    can(regex("^v([0-9]+)[.]", version)) ? "${REGISTRY_USER}/${repo}:version-${regex("^v([0-9]+)[.]", version)[0]}" : "",
  ]))
}

group "default" {
  targets = ["sharpbench"]
}

group "base-images" {
  targets = ["base", "build"]
}

target "default-args" {
  context    = "."
  dockerfile = "images/production/Containerfile"
  args = {
    SDK_IMAGE  = "${SDK_IMAGE}"
    NODE_IMAGE = "${NODE_IMAGE}"
    BASE_IMAGE = "${BASE_IMAGE}"
    APPS       = "${APPS}"
  }
  platforms = PLATFORMS == "" ? [] : split(",", PLATFORMS)
}

target "sharpbench" {
  inherits = ["default-args"]
  target   = "sharpbench"
  tags     = tag("sharpbench", "${SHARPBENCH_VERSION}")
}

target "base" {
  inherits = ["default-args"]
  target   = "base"
  tags     = tag("base", "${SHARPBENCH_VERSION}")
}

target "build" {
  inherits = ["default-args"]
  target   = "build"
  tags     = tag("build", "${SHARPBENCH_VERSION}")
}
