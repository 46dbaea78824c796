<#-- shared by the machine scripts: whether a component runs, under systemd where it is used, else under supervise -->
<#assign supervise = sh(paths.bin + "/supervise")>
<#macro systemdOr><#if systemdAllowed>[ -d /run/systemd/system ]<#else>false</#if></#macro>
<#macro running name>{ if <@systemdOr/>; then systemctl is-active --quiet tug-${name}; else [ -x ${supervise} ] && ${supervise} status ${name}; fi; }</#macro>
