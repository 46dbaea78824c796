# How tug agent on ${machine} reaches the API server of cluster ${cluster}.
apiVersion: v1
kind: Config
clusters:
- name: ${cluster}
  cluster:
    server: ${server}
    certificate-authority: ${paths.pki}/ca.crt
users:
- name: ${nodeName}
  user:
    client-certificate: ${paths.pki}/agent.crt
    client-key: ${paths.pki}/agent.key
contexts:
- name: ${cluster}
  context:
    cluster: ${cluster}
    user: ${nodeName}
current-context: ${cluster}
