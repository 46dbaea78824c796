# Removes tug from the machine: its components, the pods they started, its files and units.
<#include "common.sh.ftl">
<#list components as name>
if <@systemdOr/>; then
    systemctl disable --quiet --now tug-${name} 2>/dev/null || true
    rm -f /etc/systemd/system/tug-${name}.service
fi
if [ -x ${supervise} ]; then ${supervise} stop ${name}; fi
</#list>
if <@systemdOr/>; then systemctl daemon-reload 2>/dev/null || true; fi
# pods run in process groups of their own; each group leader's command line names its pod directory
for pid in $(pgrep -f ${sh(paths.lib + "/agent/pods/")} || true); do
    kill -KILL "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
done
<#list [paths.opt, paths.etc, paths.lib, paths.log] as dir>
# a directory that is a mount point (a test machine's) stays; its contents go
if [ -d ${sh(dir)} ]; then find ${sh(dir)} -mindepth 1 -delete 2>/dev/null || rm -rf ${sh(dir)}/* ${sh(dir)}/.[!.]*; rmdir ${sh(dir)} 2>/dev/null || true; fi
</#list>
<#if paths.root?has_content>
rm -rf ${sh(paths.root)}
# the local cloud's cluster directory goes with its last machine
rmdir "$(dirname ${sh(paths.root)})" 2>/dev/null || true
</#if>
