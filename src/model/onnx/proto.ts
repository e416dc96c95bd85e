/**
 * A thin ONNX graph builder over `onnx-buf` (the ONNX 1.20 schema compiled for @bufbuild/protobuf).
 * Three verbs, as in the ONNX helper module of the Python package: `node()`, `initializer()`,
 * `valueInfo()` (as `input()` / `output()`); `op()` is `node()` with one auto-named output, which is
 * how nearly every line of the nano graph reads. Nothing here knows the nano model.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProtoSchema,
  TensorProto_DataType,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';

export { TensorProto_DataType as DataType };

/** Attribute values are tagged, because ONNX distinguishes 1 (INT) from 1.0 (FLOAT). */
export type Attr = { kind: 'int'; value: number } | { kind: 'float'; value: number } | { kind: 'ints'; value: number[] } | { kind: 'string'; value: string };
export const int = (value: number): Attr => ({ kind: 'int', value });
export const float = (value: number): Attr => ({ kind: 'float', value });
export const ints = (value: number[]): Attr => ({ kind: 'ints', value });
export const str = (value: string): Attr => ({ kind: 'string', value });

/** A dimension is a fixed size or a symbolic name such as 'batch'. */
export type Dim = number | string;

/** Typed arrays an initializer can hold; the ONNX data type is passed alongside. */
export type TensorData = Float32Array | BigInt64Array | Uint8Array | Int32Array;

/** The ONNX `Shape`/`Slice` idiom for "to the end": INT64_MAX. */
export const INT64_MAX = 9223372036854775807n;

function attribute(name: string, a: Attr): AttributeProto {
  switch (a.kind) {
    case 'int':
      if (!Number.isInteger(a.value)) throw new Error(`ONNX attribute ${name}: int expected, got ${a.value}`);
      return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(a.value) });
    case 'float':
      return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f: a.value });
    case 'ints':
      return create(AttributeProtoSchema, {
        name,
        type: AttributeProto_AttributeType.INTS,
        ints: a.value.map((v) => BigInt(v)),
      });
    case 'string':
      return create(AttributeProtoSchema, {
        name,
        type: AttributeProto_AttributeType.STRING,
        s: new TextEncoder().encode(a.value),
      });
  }
}

function valueInfo(name: string, elemType: TensorProto_DataType, shape: Dim[]): ValueInfoProto {
  const dim = shape.map((d) =>
    create(TensorShapeProto_DimensionSchema, {
      value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : { case: 'dimParam', value: d },
    }),
  );
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, { elemType, shape: create(TensorShapeProtoSchema, { dim }) }),
      },
    }),
  });
}

/** Little-endian bytes of a typed array (every platform ORT runs on is little-endian). */
function rawBytes(data: TensorData): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(data.byteLength);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return out;
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private counter = 0;
  /** Prefix of auto-generated names, so a node in Netron reads like `blocks.2/attn/MatMul_41`. */
  scope = '';

  /** A fresh tensor name under the current scope. */
  fresh(hint: string): string {
    const name = `${this.scope ? this.scope + '/' : ''}${hint}_${this.counter++}`;
    this.names.add(name);
    return name;
  }

  /** Runs `body` with a name scope, restoring the previous one after. */
  within<T>(scope: string, body: () => T): T {
    const saved = this.scope;
    this.scope = scope;
    try {
      return body();
    } finally {
      this.scope = saved;
    }
  }

  node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, Attr> = {}, domain = ''): string[] {
    this.nodes.push(
      create(NodeProtoSchema, {
        name: this.fresh(opType),
        opType,
        domain,
        input: inputs,
        output: outputs,
        attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      }),
    );
    return outputs;
  }

  /** One node with one output; returns the output's name (`name` if given, else a fresh one). */
  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, opts: { domain?: string; name?: string } = {}): string {
    const out = opts.name ?? this.fresh(opType.toLowerCase());
    this.node(opType, inputs, [out], attrs, opts.domain ?? '');
    return out;
  }

  initializer(name: string, dataType: TensorProto_DataType, dims: number[], data: TensorData): string {
    const count = dims.reduce((a, b) => a * b, 1);
    const expected = dataType === TensorProto_DataType.UINT8 ? data.byteLength : data.length;
    if (expected !== count) {
      throw new Error(`ONNX initializer ${name}: shape [${dims.join(', ')}] needs ${count} values, got ${expected}`);
    }
    if (this.names.has(name) && this.initializers.some((t) => t.name === name)) {
      throw new Error(`ONNX initializer ${name} defined twice`);
    }
    this.names.add(name);
    this.initializers.push(create(TensorProtoSchema, { name, dataType, dims: dims.map((d) => BigInt(d)), rawData: rawBytes(data) }));
    return name;
  }

  /** A float32 constant (scalar when `dims` is []), stored as an initializer. */
  constFloat(hint: string, values: number[], dims: number[] = []): string {
    return this.initializer(this.fresh(hint), TensorProto_DataType.FLOAT, dims, Float32Array.from(values));
  }

  /** An int64 constant (scalar when `dims` is []), as the shape-handling ops want. */
  constInt64(hint: string, values: number[], dims: number[] = [values.length]): string {
    return this.initializer(this.fresh(hint), TensorProto_DataType.INT64, dims, BigInt64Array.from(values.map((v) => BigInt(v))));
  }

  input(name: string, elemType: TensorProto_DataType, shape: Dim[]): string {
    this.inputs.push(valueInfo(name, elemType, shape));
    return name;
  }

  output(name: string, elemType: TensorProto_DataType, shape: Dim[]): string {
    this.outputs.push(valueInfo(name, elemType, shape));
    return name;
  }

  /** The finished model. `opsets` maps a domain ('' = ai.onnx) to its version. */
  model(opts: { name: string; opsets: Record<string, number>; metadata?: Record<string, string>; docString?: string }): ModelProto {
    return create(ModelProtoSchema, {
      // IR 8 is the level of opset 17-18 models; every ORT release since 1.14 reads it.
      irVersion: 8n,
      producerName: 'vigal-playground',
      producerVersion: '0.1.0',
      docString: opts.docString ?? '',
      opsetImport: Object.entries(opts.opsets).map(([domain, version]) => create(OperatorSetIdProtoSchema, { domain, version: BigInt(version) })),
      metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => create(StringStringEntryProtoSchema, { key, value })),
      graph: create(GraphProtoSchema, {
        name: opts.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      }),
    });
  }
}

export function serializeModel(model: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, model);
}
