# What is on the machine already, one fact per line, so that setup changes only what differs.
<#include "common.sh.ftl">
if command -v java >/dev/null 2>&1; then echo "java $(command -v java)"; else echo "java -"; fi
if <@systemdOr/>; then echo "systemd yes"; else echo "systemd no"; fi
<#list files as file>
if [ -f ${sh(file)} ]; then echo "file $(sha256sum ${sh(file)} | cut -d' ' -f1):$(stat -c %a ${sh(file)}) ${file}"; else echo "file - ${file}"; fi
</#list>
<#list components as name>
if <@running name/>; then echo "running yes ${name}"; else echo "running no ${name}"; fi
</#list>
