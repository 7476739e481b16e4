-- A Neovim session with `supportlint lsp`, as an author has it: the built-in
-- LSP client opens policy files, receives their diagnostics, asks for hover,
-- completion, code actions, formatting and symbols, edits a file, and stops
-- the server. Written for Neovim 0.7 (Debian's) and later.
--
--   SUPPORTLINT_BIN=target/debug/supportlint \
--   SUPPORTLINT_FILES="$PWD/policies/retail.policy" \
--   SUPPORTLINT_RESULT=/tmp/result.json \
--   nvim --headless -n -i NONE -u cli/tests/nvim/lsp_session.lua
--
-- SUPPORTLINT_FILES holds absolute paths, one a line; the first is also
-- edited (SUPPORTLINT_EDITS times, default 3) to time the diagnostics that
-- follow a change. The result is JSON: per file the diagnostics as
-- [line, character, code] and what each request answered; the latency of
-- each edit in milliseconds; the server's exit code. cli/tests/cli/nvim.rs
-- runs it and compares the diagnostics with `supportlint check`'s.

local result = { files = {}, edit_latency_ms = {}, errors = {} }
local published = {}     -- uri -> { version, diagnostics, at (ns) }
local exit_code = nil

local function fail(message)
  table.insert(result.errors, message)
end

local function write_result()
  local path = os.getenv("SUPPORTLINT_RESULT")
  local file = io.open(path, "w")
  file:write(vim.fn.json_encode(result))
  file:close()
end

local function lines_of(text)
  local lines = {}
  for line in (text .. "\n"):gmatch("(.-)\n") do
    table.insert(lines, line)
  end
  return lines
end

local function session()
  local bin = os.getenv("SUPPORTLINT_BIN")
  local files = lines_of(os.getenv("SUPPORTLINT_FILES") or "")
  local edits = tonumber(os.getenv("SUPPORTLINT_EDITS") or "3")

  local client_id = vim.lsp.start_client({
    name = "supportlint",
    cmd = { bin, "lsp" },
    root_dir = vim.fn.getcwd(),
    -- What lspconfig sets, and what newer Neovims do by default.
    flags = { debounce_text_changes = 150 },
    handlers = {
      ["textDocument/publishDiagnostics"] = function(err, params, ctx, config)
        published[params.uri] = { version = params.version, diagnostics = params.diagnostics, at = vim.loop.hrtime() }
        return vim.lsp.diagnostic.on_publish_diagnostics(err, params, ctx, config)
      end,
    },
    on_exit = function(code)
      exit_code = code
    end,
  })
  if not client_id then
    fail("the client did not start")
    return
  end

  local first_buffer = nil
  for _, path in ipairs(files) do
    if path ~= "" then
      vim.cmd("edit " .. vim.fn.fnameescape(path))
      local bufnr = vim.api.nvim_get_current_buf()
      first_buffer = first_buffer or bufnr
      local uri = vim.uri_from_bufnr(bufnr)
      vim.lsp.buf_attach_client(bufnr, client_id)
      local client = vim.lsp.get_client_by_id(client_id)
      if not vim.wait(20000, function() return published[uri] ~= nil end, 5) then
        fail("no diagnostics for " .. path)
      end
      result.encoding = client.offset_encoding
      local entry = { diagnostics = {} }
      local diagnostics = published[uri] and published[uri].diagnostics or {}
      for _, d in ipairs(diagnostics) do
        table.insert(entry.diagnostics, { d.range.start.line, d.range.start.character, d.code })
      end

      local doc = { uri = uri }
      local function ask(method, params)
        local response, err = client.request_sync(method, params, 10000, bufnr)
        if not response then
          return false, nil, tostring(err)
        end
        if response.err then
          return false, nil, vim.inspect(response.err)
        end
        return true, response.result, nil
      end

      -- Hover on the first finding, or on the first statement.
      local text_lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
      local statement = { line = 0, character = 0 }
      for i, line in ipairs(text_lines) do
        local indent = line:match("^(%s+)%a")
        if indent then
          statement = { line = i - 1, character = #indent }
          break
        end
      end
      local here = diagnostics[1] and diagnostics[1].range.start or statement
      local ok, hover, err = ask("textDocument/hover", { textDocument = doc, position = here })
      entry.hover = ok and hover ~= nil and hover ~= vim.NIL and hover.contents.value ~= nil
      entry.hover_error = err

      local completion
      ok, completion, err = ask("textDocument/completion", { textDocument = doc, position = statement })
      local items = ok and completion and (completion.items or completion) or {}
      entry.completion = #items
      entry.completion_error = err

      local context = { diagnostics = diagnostics[1] and { diagnostics[1] } or {} }
      local range = { start = here, ["end"] = here }
      local actions
      ok, actions, err = ask("textDocument/codeAction", { textDocument = doc, range = range, context = context })
      entry.code_actions = ok and actions ~= vim.NIL and actions and #actions or 0
      entry.code_actions_error = err

      local edits
      ok, edits, err = ask("textDocument/formatting",
        { textDocument = doc, options = { tabSize = 2, insertSpaces = true } })
      entry.formatting = ok and "edits" or ("error: " .. tostring(err))

      local symbols
      ok, symbols, err = ask("textDocument/documentSymbol", { textDocument = doc })
      entry.symbols = ok and symbols ~= vim.NIL and symbols and #symbols or 0
      entry.symbols_error = err

      result.files[path] = entry
    end
  end

  -- Edits in the middle of the first file: how long from the keystroke to
  -- the diagnostics of the new text.
  if first_buffer then
    vim.api.nvim_set_current_buf(first_buffer)
    local uri = vim.uri_from_bufnr(first_buffer)
    local count = vim.api.nvim_buf_line_count(first_buffer)
    for n = 1, edits do
      local middle = math.floor(count / 2)
      local start = vim.loop.hrtime()
      vim.api.nvim_buf_set_lines(first_buffer, middle, middle, false, { "# edited " .. n })
      local version = vim.api.nvim_buf_get_changedtick(first_buffer)
      local arrived = vim.wait(20000, function()
        local p = published[uri]
        return p ~= nil and p.version ~= nil and p.version ~= vim.NIL and p.version >= version
      end, 1)
      if arrived then
        table.insert(result.edit_latency_ms, (published[uri].at - start) / 1e6)
      else
        fail("no diagnostics after edit " .. n)
      end
      vim.wait(50)
    end
  end

  vim.lsp.stop_client(client_id)
  if not vim.wait(20000, function() return exit_code ~= nil end, 5) then
    fail("the server did not exit")
  end
  result.exit_code = exit_code
end

local ok, err = pcall(session)
if not ok then
  fail(tostring(err))
end
write_result()
vim.cmd("qa!")
