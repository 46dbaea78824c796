<#-- The dashboard add-on. Its pod runs `tug dashboard` from the jar the control-plane machine already has (the
     process runtime runs the command, so the image only names what runs), on that machine, next to the API server
     whose CA file it reads. It serves HTTPS with a certificate from the cluster CA, kept in the Secret
     tug-dashboard-tls (tug issues it for every machine's address). The jar's and the certificate's checksums are in
     the pod template, so a new tug or a new certificate rolls the dashboard. -->
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tug-dashboard
  namespace: kube-system
  labels:
    app.kubernetes.io/name: tug-dashboard
    app.kubernetes.io/managed-by: tug
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: tug-dashboard
  template:
    metadata:
      labels:
        app.kubernetes.io/name: tug-dashboard
      annotations:
        tug.dev/jar-sha256: "${jarSha256}"
        tug.dev/tls-sha256: "${tlsSha256}"
    spec:
      nodeSelector:
        kubernetes.io/hostname: "${nodeName?j_string}"
      tolerations:
        - key: node-role.kubernetes.io/control-plane
          operator: Exists
          effect: NoSchedule
      containers:
        - name: dashboard
          image: "tug/dashboard:${version?j_string}"
          command: ["${java?j_string}", "-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", "${jar?j_string}", "dashboard"]
          args: ["--listen", "$(POD_IP):${port?c}", "--server", "${apiServer?j_string}", "--certificate-authority", "${caFile?j_string}"]
          env:
            - name: POD_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
            - name: TUG_DASHBOARD_TLS_CERT
              valueFrom:
                secretKeyRef:
                  name: tug-dashboard-tls
                  key: tls.crt
            - name: TUG_DASHBOARD_TLS_KEY
              valueFrom:
                secretKeyRef:
                  name: tug-dashboard-tls
                  key: tls.key
          ports:
            - name: https
              containerPort: ${port?c}
          readinessProbe:
            httpGet:
              scheme: HTTPS
              path: /healthz
              port: https
            periodSeconds: 5
          livenessProbe:
            httpGet:
              scheme: HTTPS
              path: /healthz
              port: https
            initialDelaySeconds: 30
            periodSeconds: 20
          resources:
            requests:
              cpu: 50m
              memory: 192Mi
---
apiVersion: v1
kind: Service
metadata:
  name: tug-dashboard
  namespace: kube-system
  labels:
    app.kubernetes.io/name: tug-dashboard
    app.kubernetes.io/managed-by: tug
spec:
  type: NodePort
  selector:
    app.kubernetes.io/name: tug-dashboard
  ports:
    - name: https
      port: 443
      targetPort: https
