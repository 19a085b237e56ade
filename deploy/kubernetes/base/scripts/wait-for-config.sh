#!/bin/bash
# An init container of every role: the configure Job writes sites/common_site_config.json; a
# role started before it waits here instead of failing and being restarted in a loop.
until jq -e '.db_host and .redis_queue and .redis_cache' sites/common_site_config.json >/dev/null 2>&1; do
  [ $((SECONDS % 30)) -eq 0 ] && echo "waiting for the configure Job to write sites/common_site_config.json"
  sleep 1
done
