# Starts tug's components: restarts those whose files changed, starts those not running.
set -e
<#include "common.sh.ftl">
<#if systemd>
<#if units?has_content>
systemctl daemon-reload
</#if>
<#list restart as name>
systemctl enable --quiet tug-${name}
systemctl restart tug-${name}
</#list>
<#list ensure as name>
systemctl enable --quiet --now tug-${name}
</#list>
<#else>
<#list restart as name>
${supervise} restart ${name}
</#list>
<#list ensure as name>
${supervise} start ${name}
</#list>
</#if>
