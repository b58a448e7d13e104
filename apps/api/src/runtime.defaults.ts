// Imported first by every entry point, before any AWS SDK client exists.
//
// Production runs on Node 22. On Node 20 development machines the AWS SDK prints, at every start,
// a notice that its future releases will need Node 22: known, and noise in a developer's terminal.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
