#!/bin/sh
# tug ${component.name} of cluster ${cluster} on ${machine}.
# Written by `tug update cluster`; edits here are overwritten on its next run.
exec ${sh(java)}<#list component.jvmOptions as option> ${sh(option)}</#list> -jar ${sh(paths.jar)} ${component.name}<#list component.args as arg> \
    ${sh(arg)}</#list>
