// The TLS Ingress that exposes a component's Service on its own host name.
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

export interface TlsIngressArgs {
  /** Name of the Service, the Ingress and the TLS secret's prefix. */
  service: string;
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  host: pulumi.Input<string>;
  ingressClassName: pulumi.Input<string>;
}

/** An Ingress routing every path of `host` to the Service's `http` port over TLS (`<service>-tls`). */
export function tlsIngress(name: string, args: TlsIngressArgs, parent: pulumi.Resource): k8s.networking.v1.Ingress {
  return new k8s.networking.v1.Ingress(
    name,
    {
      metadata: { name: args.service, namespace: args.namespace, labels: args.labels },
      spec: {
        ingressClassName: args.ingressClassName,
        tls: [{ hosts: [args.host], secretName: `${args.service}-tls` }],
        rules: [
          {
            host: args.host,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: args.service, port: { name: 'http' } } } }] },
          },
        ],
      },
    },
    { parent },
  );
}
