/**
 * End to end: CustomResourceDefinitions with the real kubectl 1.32 against `kts server`:
 * apply a CRD, wait for it to be established, apply a custom resource, list it with the CRD's
 * printer columns, explain its schema, and delete the CRD (kubectl waits for the cleanup).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useKtsServer } from '../support/e2e.js';

const CRD_YAML = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
    shortNames: [wd]
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            description: The desired state of the widget.
            required: [size]
            properties:
              size:
                type: integer
                minimum: 1
                description: How big the widget is.
              color:
                type: string
                enum: [red, green, blue]
                default: red
          status:
            type: object
            properties:
              phase:
                type: string
    subresources:
      status: {}
    additionalPrinterColumns:
    - name: Size
      type: integer
      jsonPath: .spec.size
    - name: Color
      type: string
      jsonPath: .spec.color
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
`;

const WIDGET_YAML = `
apiVersion: example.com/v1
kind: Widget
metadata:
  name: small
  namespace: default
spec:
  size: 2
  shiny: true
`;

describe('CustomResourceDefinitions with kubectl', () => {
  const cluster = useKtsServer();
  const { ok } = cluster;




  test('apply, wait, get, explain and delete', async () => {
    assert.match(await ok(['apply', '-f', '-'], CRD_YAML), /customresourcedefinition\.apiextensions\.k8s\.io\/widgets\.example\.com created/);
    assert.match(await ok(['wait', '--for', 'condition=established', '--timeout=10s', 'crd/widgets.example.com']), /condition met/);
    assert.match(await ok(['get', 'crd']), /^NAME\s+CREATED AT\nwidgets\.example\.com\s+\d{4}-\d\d-\d\dT/m);

    assert.match(await ok(['apply', '-f', '-'], WIDGET_YAML), /widget\.example\.com\/small created/);
    const table = await ok(['get', 'widgets']);
    assert.match(table, /^NAME\s+SIZE\s+COLOR\s+AGE\nsmall\s+2\s+red\s+\d+s$/m);
    assert.match(await ok(['get', 'wd', 'small', '-o', 'jsonpath={.spec}']), /^\{"color":"red","size":2\}$/);

    const invalid = await cluster.kubectl(['apply', '-f', '-'], { input: WIDGET_YAML.replace('size: 2', 'size: 0') });
    assert.notEqual(invalid.code, 0);
    assert.match(invalid.stderr, /spec\.size: Invalid value: 0: spec\.size in body should be greater than or equal to 1/);

    const explained = await ok(['explain', 'widget.spec']);
    assert.match(explained, /KIND:\s+Widget/);
    assert.match(explained, /The desired state of the widget\./);
    assert.match(explained, /size\t<integer> -required-\n\s+How big the widget is\./);

    assert.match(await ok(['delete', 'crd', 'widgets.example.com', '--timeout=30s']), /customresourcedefinition\.apiextensions\.k8s\.io "widgets\.example\.com" deleted/);
    const gone = await cluster.kubectl(['get', 'widgets']);
    assert.notEqual(gone.code, 0);
    // With its discovery cache still listing widgets, kubectl reports the 404 of the list itself.
    assert.match(gone.stderr, /the server doesn't have a resource type "widgets"|Unable to list "example\.com\/v1, Resource=widgets": the server could not find the requested resource/);
  });
});
