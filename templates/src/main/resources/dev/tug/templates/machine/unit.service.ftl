# tug ${component.name} of cluster ${cluster} (written by `tug update cluster`).
[Unit]
Description=tug ${component.name} (cluster ${cluster})
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=${paths.bin}/tug-${component.name}
Restart=always
RestartSec=2
<#if component.name == "agent">
# pods run in their own process groups and outlive an agent restart; the next agent adopts them
KillMode=process
</#if>
StandardOutput=append:${paths.log}/${component.name}.log
StandardError=inherit

[Install]
WantedBy=multi-user.target
