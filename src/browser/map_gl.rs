//! The corpus map's points drawn by WebGL (`browser::map_canvas` falls back
//! to its pixel buffer where the browser gives no WebGL context): the
//! layout's points and each paper's colour and lit flag are uploaded as
//! vertex buffers when they change, and a frame is two draw calls (the
//! dimmed points, then the lit ones over them) whose camera is uniforms.
//! Dropped, it gives its context back (`WEBGL_lose_context`): a browser
//! holds few (Chromium 16), and the map may be opened many times.

use js_sys::{Object, Reflect, Uint16Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlCanvasElement, WebGlBuffer, WebGlProgram, WebGlRenderingContext as Gl, WebGlShader};

use super::map_canvas::{DIM_ALPHA, HIDDEN, OTHER, PALETTE};
use crate::engine::facets::DocSet;

const VERTEX: &str = "
attribute vec2 a_pos;
attribute vec2 a_meta;
uniform vec2 u_center;
uniform vec2 u_scale;
uniform float u_size;
uniform float u_pass;
uniform float u_dim;
uniform vec3 u_palette[9];
varying vec4 v_color;
void main() {
  // a_meta.y: 0 dimmed, 1 lit, 2 not drawn (in neither pass).
  if (abs(a_meta.y - u_pass) > 0.5) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    gl_PointSize = 0.0;
    return;
  }
  vec2 p = (a_pos - u_center) * u_scale;
  gl_Position = vec4(p.x, -p.y, 0.0, 1.0);
  gl_PointSize = u_size;
  float alpha = a_meta.y > 0.5 ? 1.0 : u_dim;
  v_color = vec4(u_palette[int(a_meta.x + 0.5)] * alpha, alpha);
}";

const FRAGMENT: &str = "
precision mediump float;
varying vec4 v_color;
void main() { gl_FragColor = v_color; }";

/// A WebGL context with the map's program and buffers.
pub struct GlPoints {
    gl: Gl,
    program: WebGlProgram,
    positions: WebGlBuffer,
    meta: WebGlBuffer,
    /// The data version the buffers hold (see [`GlPoints::upload`]).
    version: Option<u64>,
    count: i32,
}

impl GlPoints {
    /// WebGL on `canvas`, unless the browser has none (or it fails to compile).
    pub fn new(canvas: &HtmlCanvasElement) -> Option<GlPoints> {
        let options = Object::new();
        // Kept after compositing: the page (and its tests) may read the pixels.
        let _ = Reflect::set(&options, &"preserveDrawingBuffer".into(), &JsValue::TRUE);
        let _ = Reflect::set(&options, &"antialias".into(), &JsValue::FALSE);
        let gl = canvas.get_context_with_context_options("webgl", &options).ok()??.dyn_into::<Gl>().ok()?;
        let vertex = shader(&gl, Gl::VERTEX_SHADER, VERTEX)?;
        let fragment = shader(&gl, Gl::FRAGMENT_SHADER, FRAGMENT)?;
        let program = gl.create_program()?;
        gl.attach_shader(&program, &vertex);
        gl.attach_shader(&program, &fragment);
        gl.link_program(&program);
        if !gl.get_program_parameter(&program, Gl::LINK_STATUS).as_bool().unwrap_or(false) {
            return None;
        }
        let positions = gl.create_buffer()?;
        let meta = gl.create_buffer()?;
        Some(GlPoints { gl, program, positions, meta, version: None, count: 0 })
    }

    /// Uploads the points, their colours and lit flags unless `version`
    /// is the one the buffers hold.
    pub fn upload(&mut self, version: u64, points: &[[u16; 2]], colors: &[u8], lit: Option<&DocSet>) {
        if self.version == Some(version) {
            return;
        }
        let gl = &self.gl;
        let flat: Vec<u16> = points.iter().flatten().copied().collect();
        gl.bind_buffer(Gl::ARRAY_BUFFER, Some(&self.positions));
        gl.buffer_data_with_array_buffer_view(
            Gl::ARRAY_BUFFER,
            &Uint16Array::from(flat.as_slice()),
            Gl::STATIC_DRAW,
        );
        let meta: Vec<u8> = (0..points.len())
            .flat_map(|i| match colors.get(i).copied().unwrap_or(OTHER) {
                HIDDEN => [0, 2],
                color => [color.min(OTHER), u8::from(lit.is_none_or(|lit| lit.contains(i)))],
            })
            .collect();
        gl.bind_buffer(Gl::ARRAY_BUFFER, Some(&self.meta));
        gl.buffer_data_with_array_buffer_view(
            Gl::ARRAY_BUFFER,
            &Uint8Array::from(meta.as_slice()),
            Gl::STATIC_DRAW,
        );
        self.version = Some(version);
        self.count = points.len() as i32;
    }

    /// Draws the uploaded points: `center` (units of the square) at the
    /// canvas's centre, `scale` device pixels per unit, `size` device
    /// pixels a point, on a `width` x `height` backing store.
    pub fn draw(&self, center: [f64; 2], scale: f64, size: f64, width: u32, height: u32) {
        let gl = &self.gl;
        gl.viewport(0, 0, width as i32, height as i32);
        gl.clear_color(0.0, 0.0, 0.0, 0.0);
        gl.clear(Gl::COLOR_BUFFER_BIT);
        if self.count == 0 {
            return;
        }
        gl.use_program(Some(&self.program));
        let uniform = |name: &str| gl.get_uniform_location(&self.program, name);
        gl.uniform2f(uniform("u_center").as_ref(), center[0] as f32, center[1] as f32);
        let (w, h) = (f64::from(width.max(1)), f64::from(height.max(1)));
        gl.uniform2f(uniform("u_scale").as_ref(), (scale * 2.0 / w) as f32, (scale * 2.0 / h) as f32);
        gl.uniform1f(uniform("u_size").as_ref(), size as f32);
        gl.uniform1f(uniform("u_dim").as_ref(), f32::from(DIM_ALPHA) / 255.0);
        let palette: Vec<f32> = PALETTE.iter().flatten().map(|&c| f32::from(c) / 255.0).collect();
        gl.uniform3fv_with_f32_array(uniform("u_palette[0]").as_ref(), &palette);
        for (name, buffer, size, kind, normalized) in [
            ("a_pos", &self.positions, 2, Gl::UNSIGNED_SHORT, true),
            ("a_meta", &self.meta, 2, Gl::UNSIGNED_BYTE, false),
        ] {
            let at = gl.get_attrib_location(&self.program, name);
            if at < 0 {
                continue;
            }
            gl.bind_buffer(Gl::ARRAY_BUFFER, Some(buffer));
            gl.enable_vertex_attrib_array(at as u32);
            gl.vertex_attrib_pointer_with_i32(at as u32, size, kind, normalized, 0, 0);
        }
        // Dimmed points first, then the lit ones over them.
        for pass in [0.0, 1.0] {
            gl.uniform1f(uniform("u_pass").as_ref(), pass);
            gl.draw_arrays(Gl::POINTS, 0, self.count);
        }
    }

    /// Waits until the GPU has drawn (for the benchmark's timing).
    pub fn finish(&self) {
        self.gl.finish();
    }
}

impl Drop for GlPoints {
    /// Frees the buffers and program and loses the context at once,
    /// rather than when the canvas is collected.
    fn drop(&mut self) {
        let gl = &self.gl;
        gl.delete_buffer(Some(&self.positions));
        gl.delete_buffer(Some(&self.meta));
        gl.delete_program(Some(&self.program));
        if let Ok(Some(extension)) = gl.get_extension("WEBGL_lose_context") {
            if let Some(lose) = super::method(&extension, "loseContext") {
                let _ = lose.call0(&extension);
            }
        }
    }
}

fn shader(gl: &Gl, kind: u32, source: &str) -> Option<WebGlShader> {
    let shader = gl.create_shader(kind)?;
    gl.shader_source(&shader, source);
    gl.compile_shader(&shader);
    gl.get_shader_parameter(&shader, Gl::COMPILE_STATUS).as_bool().unwrap_or(false).then_some(shader)
}
